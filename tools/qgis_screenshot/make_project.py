"""Write a QGIS project with the fupin PostGIS layers (+ the shipped county boundaries).

Run with the system python3 and python3-qgis (QGIS 3.22), headless:
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 make_project.py REPO PGHOST PROJECT.qgs PROFILE_DIR
(tools/qgis_screenshot/shot.sh runs it.)
PGHOST is the folder holding the PostgreSQL Unix socket (port 5432 names the socket file).
PROFILE_DIR is a QGIS profiles folder; the PostGIS connection is saved in its "default"
profile so that it shows up in the Browser panel (qgis --profiles-path PROFILE_DIR).
"""
import sys
from pathlib import Path

from qgis.core import (
    QgsApplication, QgsCoordinateReferenceSystem, QgsDataSourceUri, QgsFillSymbol,
    QgsMarkerSymbol, QgsPalLayerSettings, QgsProject, QgsTextBufferSettings, QgsTextFormat, QgsVectorLayer,
    QgsVectorLayerSimpleLabeling, QgsWkbTypes,
    QgsReferencedRectangle,
)
from qgis.PyQt.QtCore import QSettings
from qgis.PyQt.QtGui import QColor, QFont

repo, pghost, project_path, profiles = (Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]),
                                         Path(sys.argv[4]))
PORT, DB, USER = "5432", "fupin", "postgres"
CONNECTION = "fupin (demo, local socket)"

app = QgsApplication([], False)
app.initQgis()
project = QgsProject.instance()
project.setTitle("湛江产业扶贫地图 — PostGIS (演示数据)")
project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
project.setBackgroundColor(QColor("#d9ebf3"))  # the sea (no online basemap: offline)


def postgis(table, key, wkb, title):
    uri = QgsDataSourceUri()
    uri.setConnection(pghost, PORT, DB, USER, "")
    uri.setDataSource("public", table, "geom", "", key)
    uri.setSrid("4326")
    uri.setWkbType(wkb)
    layer = QgsVectorLayer(uri.uri(False), title, "postgres")
    if not layer.isValid():
        raise SystemExit(f"{table}: layer not valid: {layer.error().summary()}")
    print(f"{title}: {layer.featureCount()} features, {QgsWkbTypes.displayString(layer.wkbType())}, "
          f"{layer.crs().authid()}")
    return layer


def marker(shape, color, size, outline="#ffffff"):
    return QgsMarkerSymbol.createSimple({"name": shape, "color": color, "size": str(size),
                                         "outline_color": outline, "outline_width": "0.3"})


# Context: Zhanjiang's counties from the project's own geodata (the file also holds Liuzhou's).
counties = QgsVectorLayer(str(repo / "geodata/counties.geojson"), "湛江 区县 (geodata/counties.geojson)", "ogr")
counties.setSubsetString("\"city_adcode\" = '440800'")
counties.renderer().setSymbol(QgsFillSymbol.createSimple(
    {"color": "#f3efe4", "outline_color": "#8a7f6a", "outline_width": "0.35"}))
fmt = QgsTextFormat()
fmt.setFont(QFont("Noto Sans CJK SC"))
fmt.setSize(11)
fmt.setColor(QColor("#5a5040"))
buffer = QgsTextBufferSettings()
buffer.setEnabled(True)
buffer.setSize(1)
buffer.setColor(QColor("#ffffff"))
fmt.setBuffer(buffer)
labels = QgsPalLayerSettings()
labels.fieldName = "short_name"
labels.placement = QgsPalLayerSettings.OverPoint
labels.setFormat(fmt)
counties.setLabeling(QgsVectorLayerSimpleLabeling(labels))
counties.setLabelsEnabled(True)

land = QgsVectorLayer(str(repo / "geodata/land.geojson"), "周边陆地 (geodata/land.geojson)", "ogr")
land.renderer().setSymbol(QgsFillSymbol.createSimple(
    {"color": "#e4e4e0", "outline_color": "#c8c8c4", "outline_width": "0.2"}))

P, Poly = QgsWkbTypes.Point, QgsWkbTypes.Polygon
villages = postgis("latest_villages", "code", P, "latest_villages (贫困村)")
villages.renderer().setSymbol(marker("circle", "#d7301f", 2.2))
parks = postgis("latest_parks", "id", P, "latest_parks (现代农业产业园)")
parks.renderer().setSymbol(marker("square", "#1a9850", 4.2, "#0b3d1e"))
enterprises = postgis("latest_enterprises", "id", P, "latest_enterprises (龙头企业)")
enterprises.renderer().setSymbol(marker("triangle", "#2166ac", 3.6, "#0b2a4a"))
coops = postgis("latest_cooperatives", "id", P, "latest_cooperatives (合作社)")
# Most cooperatives sit a few hundred metres from their village: a larger diamond drawn
# below the village dot, so both stay visible.
coops.renderer().setSymbol(marker("diamond", "#ffb000", 3.6, "#8a5a00"))
# latest_aquaculture is geometry(Geometry): polygons and points, one QGIS layer per type.
aqua_poly = postgis("latest_aquaculture", "id", Poly, "latest_aquaculture (水产养殖, 面)")
aqua_poly.renderer().setSymbol(QgsFillSymbol.createSimple(
    {"color": "#00bcd4", "outline_color": "#006b7a", "outline_width": "0.5"}))
aqua_pt = postgis("latest_aquaculture", "id", P, "latest_aquaculture (水产养殖, 点)")
aqua_pt.renderer().setSymbol(marker("circle", "#00bcd4", 3.0, "#006b7a"))

# Layers panel order: first added = bottom, so add context first, villages last (top).
for layer in (land, counties, aqua_poly, coops, villages, aqua_pt, enterprises, parks):
    project.addMapLayer(layer)
root = project.layerTreeRoot()
# Move the points above the context layers in a sensible order (top of panel first).
order = [parks, enterprises, villages, coops, aqua_pt, aqua_poly, counties, land]
for i, layer in enumerate(order):
    node = root.findLayer(layer.id())
    clone = node.clone()
    root.insertChildNode(i, clone)
    root.removeChildNode(node)
for layer in order:
    root.findLayer(layer.id()).setCustomProperty("showFeatureCount", True)

extent = villages.extent()
extent.scale(1.08)
project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(extent, villages.crs()))
project.write(str(project_path))
print("wrote", project_path, "villages extent", extent.toString(5))

# Save the connection for the Browser panel (QGIS 3.22 settings keys).
ini = profiles / "profiles/default/QGIS/QGIS3.ini"
ini.parent.mkdir(parents=True, exist_ok=True)
s = QSettings(str(ini), QSettings.IniFormat)
base = f"PostgreSQL/connections/{CONNECTION}"
for key, value in {"host": pghost, "port": PORT, "database": DB, "username": USER,
                   "service": "", "sslmode": "SslDisable", "saveUsername": "true",
                   "savePassword": "false", "publicOnly": "false", "geometryColumnsOnly": "false",
                   "allowGeometrylessTables": "false", "estimatedMetadata": "false",
                   "projectsInDatabase": "false"}.items():
    s.setValue(f"{base}/{key}", value)
s.setValue("PostgreSQL/connections/selected", CONNECTION)
# No first-run/news/version-check noise in the screenshot.
s.setValue("qgis/checkVersion", False)
s.setValue("core/NewsFeed/httpsfeedqgisorg/disabled", True)
s.setValue("qgis/showTips322", False)
s.sync()
print("saved connection", CONNECTION, "in", ini)
app.exitQgis()
