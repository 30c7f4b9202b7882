"""Suite-wide settings."""

import os

from hypothesis import settings

# In CI the property-based tests replay a fixed sequence of examples, so a run is reproducible
# and a red CI always means a change broke something; developers' runs keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
