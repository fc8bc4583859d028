"""Closing the loop with visitors: receipt codes, live results and the "you said, we did" feed."""
