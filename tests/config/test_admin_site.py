"""The admin says whose it is: Tonearm's, not a generic Django administration."""

import pytest
from django.test import Client

from tests import factories


@pytest.mark.django_db
def test_the_admin_is_titled_tonearm():
    client = Client()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    page = client.get("/admin/").content.decode()

    assert "<title>Catalog, listeners and media processing | Tonearm admin</title>" in page
    assert "Tonearm administration" in page
    assert "Django administration" not in page
