"""Stands in for python-dotenv: the peer reads a .env file that the bench does not use."""


def load_dotenv(*args, **kwargs) -> bool:
    return False
