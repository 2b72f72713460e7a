"""All file access: scenario folders, workbooks and JSON in; run folders, CSV and JSON out."""
