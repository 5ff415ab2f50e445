"""Live charts for the Dashboard: Qt-free data (``data``, ``csv_export``), buffers and pyqtgraph widgets."""
