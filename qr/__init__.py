"""Site QR codes and printable posters (built by the sites-and-posters issue)."""
