"""The matching benchmark: synthetic ledger pairs with ground truth, a scorer and baselines."""
