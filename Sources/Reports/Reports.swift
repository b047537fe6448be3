/// The Reports target; see DESIGN.md.
public enum ReportsModule {}
