// A lab imports LabKit alone and gets the whole engine, as a notebook imports its libraries.
@_exported import Datasets
@_exported import Networks
@_exported import Pruning
@_exported import Reports
@_exported import Tensors
