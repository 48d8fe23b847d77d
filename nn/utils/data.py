"""``torch.utils.data`` under its PyTorch path: ``nn.utils.data`` is the ``data`` package
itself (the same module object), so ``torch.utils.data.DataLoader`` ports to
``nn.utils.data.DataLoader`` even in a script whose own variable is named ``data``."""

import sys

import data

sys.modules[__name__] = data
