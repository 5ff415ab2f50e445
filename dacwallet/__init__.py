"""dacwallet: the Qt-free core of the collaborative-AI wallet."""

__version__ = "0.1.0"
