"""Many points on one canvas, with their own hit test. PointLayer uses it above
SVG_MAX_POINTS circles or DOM_MAX_BADGES badges.

With Leaflet's canvas renderer each point is still a CircleMarker: at 20,000 villages building
the markers, and st_folium binding its click handler to every layer of the map after each
redraw, took ~1.2 s of a filter change; each circle was also filled and stroked on its own.
Here the map holds one layer: the points are projected once per zoom, stamped in their order
from one ready-drawn circle (or badge) per colour, and found under the mouse through a grid of
cells. A click fires `click` on the layer with the point's own position as `latlng` (what
st_folium returns as the object clicked), and hovering opens one shared tooltip built from the
point's plain-text lines.

Circle styles mean what they mean for a Leaflet circle marker: the style is laid over
CircleMarker's own defaults, and each point's palette colour is its fill. A badge is drawn like
the HTML badges of OfflineMap's style sheet, in its point's palette colour.

The canvas sits in the overlay pane and is placed, padded and zoom-animated like Leaflet's own
canvas renderer (L.Renderer._update / _updateTransform in Leaflet 1.9.3, which we serve).
"""
from __future__ import annotations

# Evaluates to a Leaflet layer class: new (CLASS)(data columns, style, shape, tooltipBox), where
# shape is {radius: r} (circles in `style`) or {badge: text, size: px} (lettered squares).
CANVAS_POINTS_JS = """L.Layer.extend({
    initialize: function (data, style, shape, tooltipBox) {
        L.setOptions(this, L.extend({}, L.CircleMarker.prototype.options, style, {radius: shape.radius}));
        this._shape = shape;
        this._data = data;
        this._tooltipBox = tooltipBox;
        this._latlngs = data.x.map(function (x, i) { return L.latLng(data.y[i], x); });
        this._hovered = -1;
        this.drawn = false;  // true while the points are painted for the current view (tests wait for it)
        this.paints = 0;  // how often they were painted (a benchmark waits for the first)
    },
    pointCount: function () { return this._latlngs.length; },
    getEvents: function () {
        var events = {viewreset: this._update, zoom: this._onZoom, moveend: this._update};
        if (this._map._zoomAnimated) { events.zoomanim = this._onZoomAnim; }
        return events;
    },
    onAdd: function (map) {
        var canvas = this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-animated fupin-point-canvas "
                                                     + (this.options.className || ""));
        // Over the pane's SVG (Leaflet puts canvases under it, where filled county areas
        // would hide the points), yet letting the mouse through to the shapes beneath: the
        // points are found by position in the map's own events, caught before its layers'.
        canvas.style.zIndex = 201;
        canvas.style.pointerEvents = "none";
        this.getPane().appendChild(canvas);
        this._listen(map);
        this._update();
    },
    onRemove: function (map) {
        this._hover(-1);
        this._unlisten(map);
        L.DomUtil.remove(this._canvas);
        this._canvas = null;
        this.drawn = false;
    },
    // One set of listeners per map for all its canvas point layers, on the map's container
    // before its layers hear anything: the last added (topmost) layer with a point under the
    // mouse gets the event.
    _listen: function (map) {
        if (!map._fupinPointLayers) {
            var layers = map._fupinPointLayers = [], container = map.getContainer();
            var topmost = function (e) {
                for (var j = layers.length - 1; j >= 0; j--) {
                    var i = layers[j]._pointAt(e);
                    if (i >= 0) { return {layer: layers[j], index: i}; }
                }
                return null;
            };
            var hover = function (hit) {
                container.style.cursor = hit ? "pointer" : "";
                layers.forEach(function (l) { l._hover(hit && hit.layer === l ? hit.index : -1); });
            };
            map._fupinPointEvents = {
                mousemove: function (e) {
                    if ((map.dragging && map.dragging.moving()) || map._animatingZoom) { return; }
                    hover(topmost(e));
                },
                mouseleave: function () { hover(null); },
                click: function (e) {
                    var hit = topmost(e);
                    if (hit) { hit.layer._click(e, hit.index); }
                }
            };
            for (var type in map._fupinPointEvents) {
                container.addEventListener(type, map._fupinPointEvents[type], true);
            }
        }
        map._fupinPointLayers.push(this);
    },
    _unlisten: function (map) {
        var layers = map._fupinPointLayers;
        layers.splice(layers.indexOf(this), 1);
        if (!layers.length) {
            for (var type in map._fupinPointEvents) {
                map.getContainer().removeEventListener(type, map._fupinPointEvents[type], true);
            }
            map.getContainer().style.cursor = "";
            delete map._fupinPointLayers;
            delete map._fupinPointEvents;
        }
    },
    // Markers, tooltips, popups and controls lie above the points: their events are theirs.
    _above: ".leaflet-marker-pane, .leaflet-tooltip-pane, .leaflet-popup-pane, .leaflet-control-container",
    _pointAt: function (e) {  // the point under a DOM mouse event, or -1
        if (!this._map || (e.target.closest && e.target.closest(this._above))) { return -1; }
        return this._at(this._map.mouseEventToLayerPoint(e));
    },
    // Leaflet's renderer padding: a tenth of the view on every side is drawn beyond it, so a
    // short pan shows points before the redraw at its end.
    _padding: 0.1,
    _update: function () {
        var map = this._map, size = map.getSize(), p = this._padding;
        var min = map.containerPointToLayerPoint(size.multiplyBy(-p)).round();
        var extent = size.multiplyBy(1 + 2 * p).round();
        var ratio = window.devicePixelRatio || 1, canvas = this._canvas;
        this._min = min;
        this._extent = extent;
        this._center = map.getCenter();
        this._zoom = map.getZoom();
        L.DomUtil.setPosition(canvas, min);
        canvas.width = ratio * extent.x;
        canvas.height = ratio * extent.y;
        canvas.style.width = extent.x + "px";
        canvas.style.height = extent.y + "px";
        this._draw(ratio);
    },
    _onZoom: function () { this._updateTransform(this._map.getCenter(), this._map.getZoom()); },
    _onZoomAnim: function (e) { this._updateTransform(e.center, e.zoom); },
    _updateTransform: function (center, zoom) {
        var map = this._map, scale = map.getZoomScale(zoom, this._zoom);
        this.drawn = false;  // scaled, not drawn, until the zoom ends
        var viewHalf = map.getSize().multiplyBy(0.5 + this._padding);
        var offset = viewHalf.multiplyBy(-scale).add(map.project(this._center, zoom))
            .subtract(map._getNewPixelOrigin(center, zoom));
        L.DomUtil.setTransform(this._canvas, offset, scale);
    },
    _project: function () {  // world pixels of every point at this zoom, computed once per zoom
        var zoom = this._map.getZoom();
        if (this._projectedZoom !== zoom) {
            var map = this._map, n = this._latlngs.length, xy = new Float64Array(2 * n);
            for (var i = 0; i < n; i++) {
                var q = map.project(this._latlngs[i], zoom);
                xy[2 * i] = q.x;
                xy[2 * i + 1] = q.y;
            }
            this._projected = xy;
            this._projectedZoom = zoom;
        }
        return this._projected;
    },
    _draw: function (ratio) {
        var o = this.options, data = this._data, n = this._latlngs.length;
        var xy = this._project(), origin = this._map.getPixelOrigin().add(this._min);
        var reach = this._shape.badge ? this._shape.size / 2 : o.radius + (o.stroke && o.weight > 0 ? o.weight / 2 : 0);
        var w = this._extent.x, h = this._extent.y, cell = Math.max(8, Math.ceil(2 * reach));
        var grid = new Map(), visible = new Uint8Array(n);
        var px = new Float64Array(n), py = new Float64Array(n);
        for (var i = 0; i < n; i++) {
            var x = xy[2 * i] - origin.x, y = xy[2 * i + 1] - origin.y;
            px[i] = x;
            py[i] = y;
            if (x < -reach || y < -reach || x > w + reach || y > h + reach) { continue; }
            visible[i] = 1;
            var key = Math.floor(x / cell) * 65536 + Math.floor(y / cell), bucket = grid.get(key);
            if (bucket) { bucket.push(i); } else { grid.set(key, [i]); }
        }
        this._px = px;
        this._py = py;
        this._grid = grid;
        this._cell = cell;
        this._reach = reach;
        var ctx = this._canvas.getContext("2d"), sprites = data.palette.map(this._sprite.bind(this, ratio));
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this._canvas.width, this._canvas.height);
        // Points in their own order, each over the ones before, as Leaflet draws circle markers;
        // a ready-drawn circle (sprite) per colour is copied, instead of filling and stroking
        // each circle anew, on whole device pixels as Leaflet rounds its points.
        for (var k = 0; k < n; k++) {
            if (!visible[k]) { continue; }
            var sprite = sprites[data.color[k]];
            ctx.drawImage(sprite, Math.round(ratio * px[k]) - sprite.half, Math.round(ratio * py[k]) - sprite.half);
        }
        this.drawn = true;
        this.paints++;
    },
    _sprite: function (ratio, color) {  // one point of this layer, ready drawn in `color`
        return this._shape.badge ? this._badgeSprite(ratio, color) : this._circleSprite(ratio, color);
    },
    // A badge as the map's DOM badges look (.fupin-badge span in OfflineMap's style): a
    // rounded square with a white border and a soft shadow, its letter in white.
    _badgeSprite: function (ratio, color) {
        var size = this._shape.size, shadow = 4, half = Math.ceil(ratio * (size / 2 + shadow));
        var sprite = document.createElement("canvas"), ctx = sprite.getContext("2d");
        sprite.width = sprite.height = 2 * half;
        sprite.half = half;
        ctx.setTransform(ratio, 0, 0, ratio, half, half);
        ctx.shadowColor = "rgba(0,0,0,.4)";
        ctx.shadowBlur = 3 * ratio;
        ctx.shadowOffsetY = ratio;
        ctx.beginPath();
        this._roundedSquare(ctx, size / 2, 4);
        ctx.fillStyle = color;
        ctx.fill();
        ctx.shadowColor = "transparent";
        ctx.beginPath();
        this._roundedSquare(ctx, size / 2 - 0.5, 3.5);
        ctx.lineWidth = 1;
        ctx.strokeStyle = "#fff";
        ctx.stroke();
        ctx.fillStyle = "#fff";
        ctx.font = "700 " + Math.round(size * 0.6) + 'px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(this._shape.badge, 0, 0.5);  // text, never markup
        return sprite;
    },
    _roundedSquare: function (ctx, h, r) {  // a square of half-side h round the origin, corners r
        ctx.moveTo(-h + r, -h);
        ctx.arcTo(h, -h, h, h, r);
        ctx.arcTo(h, h, -h, h, r);
        ctx.arcTo(-h, h, -h, -h, r);
        ctx.arcTo(-h, -h, h, -h, r);
        ctx.closePath();
    },
    _circleSprite: function (ratio, color) {  // a circle marker in the layer's style, filled with `color`
        var o = this.options, stroke = o.stroke && o.weight > 0, reach = o.radius + (stroke ? o.weight / 2 : 0);
        var half = Math.ceil(ratio * reach) + 1, sprite = document.createElement("canvas");
        sprite.width = sprite.height = 2 * half;
        sprite.half = half;
        var ctx = sprite.getContext("2d");
        ctx.setTransform(ratio, 0, 0, ratio, half, half);
        ctx.beginPath();
        ctx.arc(0, 0, o.radius, 0, 2 * Math.PI);
        if (o.fill) {
            ctx.globalAlpha = o.fillOpacity;
            ctx.fillStyle = color;
            ctx.fill();
        }
        if (stroke) {
            ctx.globalAlpha = o.opacity;
            ctx.lineWidth = o.weight;
            ctx.strokeStyle = o.color;
            ctx.lineCap = o.lineCap;
            ctx.lineJoin = o.lineJoin;
            ctx.stroke();
        }
        return sprite;
    },
    _at: function (layerPoint) {  // the point under a layer point (the nearest, then the last), or -1
        if (!this._grid) { return -1; }
        var x = layerPoint.x - this._min.x, y = layerPoint.y - this._min.y, cell = this._cell;
        var cx = Math.floor(x / cell), cy = Math.floor(y / cell), best = -1, bestD = this._reach * this._reach;
        for (var dx = -1; dx <= 1; dx++) {
            for (var dy = -1; dy <= 1; dy++) {
                var bucket = this._grid.get((cx + dx) * 65536 + cy + dy);
                if (!bucket) { continue; }
                for (var j = 0; j < bucket.length; j++) {
                    var k = bucket[j], ex = this._px[k] - x, ey = this._py[k] - y;
                    var d = this._shape.badge ? Math.pow(Math.max(Math.abs(ex), Math.abs(ey)), 2) : ex * ex + ey * ey;
                    if (d < bestD || (d <= bestD && k > best)) { best = k; bestD = d; }
                }
            }
        }
        return best;
    },
    _hover: function (i) {  // point i is under the mouse (-1: none of this layer's)
        if (i === this._hovered) { return; }
        this._hovered = i;
        var lines = i < 0 ? [] : this._data.tip[i];
        if (!lines.length) { this._closeTooltip(); return; }
        if (!this._tooltip) { this._tooltip = L.tooltip({direction: "top", offset: [0, -4]}); }
        this._tooltip.setLatLng(this._latlngs[i]).setContent(this._tooltipBox(lines));
        this._map.openTooltip(this._tooltip);
    },
    _closeTooltip: function () {
        if (this._tooltip && this._map) { this._map.closeTooltip(this._tooltip); }
    },
    _click: function (e, i) {  // DOM click e on point i
        var map = this._map;
        if ((map.dragging && map.dragging.moved()) || (map.boxZoom && map.boxZoom.moved())) { return; }
        // The point's, as Leaflet would for a marker: the shapes beneath do not hear it, and
        // the map does, after the point (st_folium reads the point's own position).
        L.DomEvent.stopPropagation(e);
        var at = {layerPoint: map.mouseEventToLayerPoint(e), containerPoint: map.mouseEventToContainerPoint(e),
                  originalEvent: e};
        this.fire("click", L.extend({latlng: this._latlngs[i], code: this._data.code[i]}, at), true);
        map.fire("click", L.extend({latlng: map.layerPointToLatLng(at.layerPoint)}, at));
    }
})"""
