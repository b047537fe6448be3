/// The Datasets target; see DESIGN.md.
public enum DatasetsModule {}
