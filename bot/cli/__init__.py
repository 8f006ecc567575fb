"""The command line interface (`python app.py ...`)."""
