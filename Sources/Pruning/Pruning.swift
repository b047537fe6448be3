/// The Pruning target; see DESIGN.md.
public enum PruningModule {}
