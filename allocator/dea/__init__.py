"""Data envelopment analysis (DEA): efficiency of decision-making units."""
