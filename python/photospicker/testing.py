"""Test support: a local, in-process emulator of the Google Photos Picker API.

    from photospicker.testing import Emulator

    with Emulator() as emulator:
        token = emulator.add_user()
        ...  # point your client at emulator.picker_url / emulator.library_url
        emulator.pick(session_id, count=3)

No binary and no network access are needed: the emulator is compiled into the
package and listens on loopback.
"""

from photospicker._native import Emulator

__all__ = ["Emulator"]
