"""The Capture tab: the local receiver, its live feed, the identity doctor, the bridge."""
