"""Live charts for the Dashboard: what each chart draws (specs, figures), the CSV export, buffers and pyqtgraph
widgets. Their data comes from dacwallet.usecases.dashboard, computed off the GUI thread."""
