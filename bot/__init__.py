"""The dialogue: pure steps (``dialogue``) and the service that stores their outcome."""
