/// The LabKit target; see DESIGN.md.
public enum LabKitModule {}
