"""rc-segment-tester: craft, preview and send the Segment messages RevenueCat would send."""

__version__ = "0.1.0"
