"""The surveys app's pages: answering (`answer`), staff's management (`manage`), imports."""
