import pytest

from .receiver import Receiver


@pytest.fixture
def receiver():
    made = Receiver().start()
    yield made
    made.stop()
