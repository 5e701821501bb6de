"""One router per concern; ``server.app.create_app`` includes them."""
