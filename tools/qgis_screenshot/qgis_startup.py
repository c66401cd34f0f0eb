# Run inside QGIS 3.22 by `qgis --code` after the project has loaded: fill the screen, widen the
# Layers/Browser docks, select the villages layer, zoom to its extent and open the saved
# PostGIS connection in the Browser panel (PostGIS > connection > public).
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QApplication, QDockWidget, QTreeView
from qgis.utils import iface

CONNECTION = "fupin (demo, local socket)"
win = iface.mainWindow()
win.setGeometry(QApplication.primaryScreen().geometry())
browser = win.findChild(QDockWidget, "Browser")
layers = win.findChild(QDockWidget, "Layers")
win.resizeDocks([browser, layers], [430, 430], Qt.Horizontal)
win.resizeDocks([browser, layers], [610, 250], Qt.Vertical)

villages = QgsProject.instance().mapLayersByName("latest_villages (贫困村)")[0]
iface.setActiveLayer(villages)
extent = iface.mapCanvas().mapSettings().layerExtentToOutputExtent(villages, villages.extent())
extent.scale(1.06)
iface.mapCanvas().setExtent(extent)
iface.mapCanvas().refresh()

tries = [0]
def expand_browser():
    # The dock's view is a QgsDockBrowserTreeView (not wrapped by sip): find it as a QTreeView.
    tries[0] += 1
    views = [v for v in browser.findChildren(QTreeView)
             if v.metaObject().className() == "QgsDockBrowserTreeView"]
    if views:
        view, model = views[0], iface.browserModel()
        for path in ("pg:", f"pg:/{CONNECTION}", f"pg:/{CONNECTION}/public"):
            index = model.findPath(path)
            if index.isValid():
                view.expand(view.model().mapFromSource(index))
    if tries[0] < 8:
        QTimer.singleShot(700, expand_browser)
QTimer.singleShot(300, expand_browser)
