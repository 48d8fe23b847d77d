"""Models shared by the tests."""

import nn


class CourseNet(nn.Module):
    """The course's 2-5-2-1 network: LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

    ``he_init`` draws the weights as the course does (kaiming_normal_, zero biases) instead of
    PyTorch's default initialisation.
    """

    def __init__(self, he_init: bool = False):
        super().__init__()
        self.layer1 = nn.Linear(2, 5)
        self.layer2 = nn.Linear(5, 2)
        self.layer3 = nn.Linear(2, 1)
        if he_init:
            for layer in (self.layer1, self.layer2, self.layer3):
                nn.init.kaiming_normal_(layer.weight)
                nn.init.zeros_(layer.bias)

    def forward(self, x):
        return self.layer3(self.layer2(self.layer1(x).relu()).relu()).sigmoid()
