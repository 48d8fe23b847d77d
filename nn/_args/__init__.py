"""Argument handling shared by Tensor methods and torch-style functions: dims and shapes
(``dims``), PyTorch's overloads (``overloads``), ``out=`` (``out``) and a function's input
(``inputs``)."""
