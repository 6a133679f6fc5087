"""Classification: calibrated scores per taxonomy label, with the evidence that drove each."""
