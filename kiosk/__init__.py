"""The Gwanghwamoon 1st Street lobby kiosk: surveys and opinions for the Ministry of Foreign Affairs."""

__version__ = "0.1.0"
