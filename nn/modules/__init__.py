"""``nn.Module`` and the layers built on it, one family per file (as ``torch.nn.modules``):
``module`` (the base class), ``layers`` (Linear, Identity, Flatten, Dropout, BatchNorm and
the common activations), ``activation`` and ``piecewise`` (the other activations), ``conv``
(convolution and pooling), ``normalization``, ``embedding``, ``recurrent``, ``loss``,
``container`` and ``parameter_container``, ``hooks``. ``nn.X`` names each of them."""
