"""The network: ``CNN`` (building, passes, predict, summary) and its model files.

``network`` holds the class, ``checks`` the checks of layer order and of data
against a network, ``summary`` the table, ``files`` saving and loading.
"""

from cnnlab.model.files import load_model
from cnnlab.model.network import CNN

__all__ = ["CNN", "load_model"]
