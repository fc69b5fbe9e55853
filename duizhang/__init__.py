"""duizhang (对账): reconcile receivables with customers, banks and payment platforms."""
