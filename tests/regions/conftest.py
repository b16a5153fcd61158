import io

import pytest
from django.core.management import call_command


@pytest.fixture
def reference(db):
    """The registry after `manage.py load_reference_data`."""
    call_command("load_reference_data", stdout=io.StringIO())
