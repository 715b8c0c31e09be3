"""Typed client for the Google Photos Picker API.

The compiled engine lives in the private ``photospicker._native`` module; this
package is the public face.
"""

from photospicker._native import __version__

__all__ = ["__version__"]
