/* Sidekel maps: Leaflet (from the django-leaflet package's static files), no CDN, no build step.
   The page gives its configuration in <script type="application/json" id="peta-config">:
   {tiles, attribution, bounds, layers: [{url, kind, name}], edit, labels}.
   With no tile URL (tiles off) the layers draw on a plain background, with labels. */
(function () {
  "use strict";
  var configNode = document.getElementById("peta-config");
  var box = document.getElementById("peta");
  if (!configNode || !box || !window.L) return;
  var config = JSON.parse(configNode.textContent);
  var labels = config.labels || {};
  var map = L.map(box, {preferCanvas: true, zoomSnap: 0.5});
  map.fitBounds(config.bounds);
  if (config.tiles) {
    L.tileLayer(config.tiles, {maxZoom: 19, attribution: config.attribution}).addTo(map);
  } else {
    box.classList.add("no-tiles");
  }
  var control = L.control.layers(null, null, {collapsed: window.innerWidth < 600}).addTo(map);
  var boundary = [];  // vertices of boundaries, for snapping

  function esc(text) {
    return String(text === undefined || text === null ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  var PALETTE = ["#eff6ff", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"];
  function shade(value, stats) {
    if (value === null || value === undefined || stats.max === null) return "#e5e7eb";
    if (stats.max === stats.min) return PALETTE[2];
    var i = Math.min(4, Math.floor(5 * (value - stats.min) / (stats.max - stats.min)));
    return PALETTE[i];
  }
  function legend(stats, title) {
    // Built with the DOM (no style attribute in markup: the pages' Content-Security-Policy has no 'unsafe-inline').
    var control = L.control({position: "bottomright"});
    function row(div, colour, text) {
      var line = L.DomUtil.create("div", "", div);
      var swatch = L.DomUtil.create("i", "", line);
      swatch.style.background = colour;
      line.appendChild(document.createTextNode(text));
    }
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "peta-legend");
      L.DomUtil.create("b", "", div).textContent = title;
      if (stats.max !== null && stats.max === stats.min) {
        row(div, PALETTE[2], Number(stats.max).toLocaleString("id-ID"));
      } else if (stats.max !== null) {
        // Each class as the range that shade() gives it, with a decimal where the span is small
        // (values 2 to 4 read "2 – 2,4", "2,4 – 2,8"..., never "2+" twice).
        var span = stats.max - stats.min;
        var digits = span < 10 ? 1 : 0;
        var fmt = function (v) { return Number(v).toLocaleString("id-ID", {maximumFractionDigits: digits}); };
        for (var i = 0; i < 5; i++) {
          row(div, PALETTE[i], fmt(stats.min + span * i / 5) + " – " + fmt(stats.min + span * (i + 1) / 5));
        }
      }
      row(div, "#e5e7eb", labels.noData);
      return div;
    };
    // On a phone the legend goes under the map (#peta-legenda), where it hides none of it.
    var holder = document.getElementById("peta-legenda");
    if (holder && window.innerWidth < 600) holder.appendChild(control.onAdd());
    else control.addTo(map);
  }
  function remember(geometry) {
    if (!geometry) return;
    (function walk(c) {
      if (typeof c[0] === "number") { boundary.push(L.latLng(c[1], c[0])); return; }
      c.forEach(walk);
    })(geometry.coordinates);
  }
  function colour(p) { return p.warna || "#374151"; }
  function photo(p) {  // a place's photo (made anew without EXIF at upload), small in the popup
    if (!p.foto) return "";
    var alt = (labels.photo || "%s").replace("%s", p.nama || "");
    return '<a href="' + esc(p.foto) + '" target="_blank" rel="noopener"><img class="peta-foto" src="' + esc(p.foto) +
      '" alt="' + esc(alt) + '" loading="lazy"></a>';
  }
  map.on("popupopen", function (event) {  // the popup grows to its photo once the photo is loaded
    var img = event.popup.getElement().querySelector("img.peta-foto");
    if (img && !img.complete) img.addEventListener("load", function () { event.popup.update(); });
  });

  var makers = {
    choropleth: function (data) {
      var stats = data.statistik || {min: null, max: null};
      legend(stats, document.getElementById("peta").dataset.statistik || labels.value);
      return L.geoJSON(data, {
        style: function (f) {
          return {color: "#1f2937", weight: 1.5, fillColor: shade(f.properties.nilai, stats), fillOpacity: 0.7};
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          remember(f.geometry);
          layer.bindTooltip(esc(p.nama), {permanent: true, direction: "center", className: "peta-label"});
          // Aggregates only: the published headline and the choropleth's published value.
          layer.bindPopup("<b>" + esc(p.nama) + "</b>" + (p.jenis ? " (" + esc(p.jenis) + ")" : "") +
            (p.jumlah_penduduk !== undefined ? "<br>" + esc(labels.residents) + ": " + Number(p.jumlah_penduduk || 0).toLocaleString("id-ID") : "") +
            (p.nilai !== undefined ? "<br>" + esc(labels.value) + ": " + (p.nilai === null ? esc(labels.noData) : Number(p.nilai).toLocaleString("id-ID")) : "") +
            (p.demo ? '<br><small>' + esc(labels.demo) + "</small>" : ""));
        }
      });
    },
    outline: function (data) {  // the village's boundary over a choropleth by dusun: a line, no fill
      return L.geoJSON(data, {
        style: function () { return {color: "#111827", weight: 3, fill: false}; },
        onEachFeature: function (f) { remember(f.geometry); }
      });
    },
    area: function (data) {
      return L.geoJSON(data, {
        style: function (f) { return {color: colour(f.properties), weight: 1, fillOpacity: 0.25, dashArray: "4"}; },
        onEachFeature: function (f, layer) { layer.bindPopup("<b>" + esc(f.properties.nama) + "</b><br>" + esc(f.properties.kategori_nama)); }
      });
    },
    garis: function (data) {
      return L.geoJSON(data, {
        style: function (f) { return {color: colour(f.properties), weight: f.properties.kategori === "sungai" ? 4 : 2.5}; },
        onEachFeature: function (f, layer) { layer.bindPopup("<b>" + esc(f.properties.nama) + "</b><br>" + esc(f.properties.kategori_nama)); }
      });
    },
    tempat: function (data) {
      return L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {radius: 7, color: "#fff", weight: 2, fillColor: colour(f.properties), fillOpacity: 1});
        },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(esc(f.properties.nama), {direction: "top", offset: [0, -6]});
          layer.bindPopup("<b>" + esc(f.properties.nama) + "</b><br>" + esc(f.properties.kategori_nama) +
            (f.properties.keterangan ? "<br>" + esc(f.properties.keterangan) : "") + photo(f.properties));
        }
      });
    },
    petugas: function (data) {
      var order = {batas: 0, dusun: 1, rw: 2, rt: 3, area: 4, garis: 5, tempat: 6, keluarga: 7};
      data.features.sort(function (a, b) { return order[a.properties.lapisan] - order[b.properties.lapisan]; });
      return L.geoJSON(data, {
        style: function (f) {
          var p = f.properties;
          if (p.lapisan === "batas") return {color: "#111827", weight: 3, fillOpacity: 0.03};
          if (p.lapisan === "dusun") return {color: "#7c3aed", weight: 2, fillOpacity: 0.03};
          if (p.lapisan === "rw" || p.lapisan === "rt") return {color: "#9ca3af", weight: 1, fillOpacity: 0, dashArray: "3"};
          if (p.lapisan === "garis") return {color: colour(p), weight: 3};
          return {color: colour(p), weight: 1, fillOpacity: 0.25};
        },
        pointToLayer: function (f, latlng) {
          if (f.properties.lapisan === "keluarga")
            return L.circleMarker(latlng, {radius: 4, color: "#92400e", weight: 1, fillColor: "#fbbf24", fillOpacity: 0.9});
          return L.circleMarker(latlng, {radius: 7, color: "#fff", weight: 2, fillColor: colour(f.properties), fillOpacity: 1});
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          if (p.lapisan === "batas") remember(f.geometry);
          if (p.lapisan === "batas" || p.lapisan === "dusun")
            layer.bindTooltip(esc(p.nama), {permanent: p.lapisan === "batas", direction: "center", className: "peta-label"});
          var html = "<b>" + esc(p.nama) + "</b>" + photo(p);
          if (p.lapisan === "keluarga" && config.edit)
            html += '<br><button type="button" class="button small" data-pindah="' + p.keluarga + '">' + esc(labels.move) + "</button>";
          layer.bindPopup(html);
        }
      });
    }
  };

  config.layers.forEach(function (spec) {
    fetch(spec.url, {credentials: "same-origin", headers: {Accept: "application/geo+json, application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var layer = makers[spec.kind](data).addTo(map);
        layer.on("click", function (event) { if (window.petaClick) window.petaClick(event); });
        control.addOverlay(layer, spec.name);
        if (spec.kind === "choropleth" || spec.kind === "petugas") layer.bringToBack();
        box.dataset.loaded = String(Number(box.dataset.loaded || 0) + 1);
      });
  });

  if (!config.edit) return;

  // --- drawing (officials) ----------------------------------------------------------------------
  var mode = null, points = [], preview = null, movingFamily = null;
  var field = document.getElementById("id_geometri");
  var layerField = document.getElementById("id_lapisan");
  var status = document.getElementById("peta-status");
  function say(text) { if (status) status.textContent = text; }
  function snap(latlng) {
    var best = null, bestPx = 12, here = map.latLngToContainerPoint(latlng);
    boundary.forEach(function (v) {
      var d = map.latLngToContainerPoint(v).distanceTo(here);
      if (d < bestPx) { best = v; bestPx = d; }
    });
    return best || latlng;
  }
  function redraw() {
    if (preview) map.removeLayer(preview);
    preview = null;
    if (!points.length) return;
    if (mode === "titik") preview = L.circleMarker(points[0], {radius: 8, color: "#dc2626"});
    else if (mode === "garis") preview = L.polyline(points, {color: "#dc2626", weight: 3});
    else preview = L.polygon(points, {color: "#dc2626", weight: 2});
    preview.addTo(map);
  }
  function coords(p) { return [Math.round(p.lng * 1e6) / 1e6, Math.round(p.lat * 1e6) / 1e6]; }
  function finish() {
    var geometry = null;
    if (mode === "titik" && points.length) geometry = {type: "Point", coordinates: coords(points[0])};
    if (mode === "garis" && points.length > 1) geometry = {type: "LineString", coordinates: points.map(coords)};
    if (mode === "area" && points.length > 2) {
      var ring = points.map(coords); ring.push(ring[0]);
      geometry = {type: "Polygon", coordinates: [ring]};
    }
    if (geometry && field) {
      field.value = JSON.stringify(geometry);
      var name = document.getElementById("id_nama");
      if (name) name.focus();
      say(field.dataset.done || "");
    }
    mode = null;
    box.classList.remove("drawing");
  }
  document.querySelectorAll("[data-gambar]").forEach(function (button) {
    button.addEventListener("click", function () {
      mode = button.dataset.gambar; points = []; movingFamily = null; redraw();
      box.classList.add("drawing");
      if (layerField) {
        var wanted = {titik: "tempat", garis: "garis", area: "area"}[mode];
        if (["batas", "dusun", "rw", "rt", "area"].indexOf(layerField.value) < 0 || mode !== "area") layerField.value = wanted;
      }
      say(button.dataset.help || "");
    });
  });
  var done = document.querySelector("[data-selesai]");
  if (done) done.addEventListener("click", finish);
  var undo = document.querySelector("[data-batal]");
  if (undo) undo.addEventListener("click", function () { points.pop(); redraw(); });

  function placeFamily(id) {
    movingFamily = id; mode = null; box.classList.add("drawing"); say(labels.clickToMove);
    map.closePopup();
  }
  box.addEventListener("click", function (event) {
    var target = event.target.closest("[data-pindah]");
    if (target) { event.stopPropagation(); placeFamily(target.dataset.pindah); }
  });
  var place = document.querySelector("[data-tempatkan]");
  if (place) place.addEventListener("click", function () {
    var select = document.getElementById("keluarga-tanpa-lokasi");
    if (select && select.value) placeFamily(select.value);
  });

  var lastClick = null;
  function onClick(event) {
    if (event.originalEvent && event.originalEvent === lastClick) return;  // a shape's click and the map's
    lastClick = event.originalEvent;
    if (movingFamily) {
      var form = document.getElementById("lokasi-form");
      form.querySelector("[name=keluarga]").value = movingFamily;
      form.querySelector("[name=lon]").value = event.latlng.lng.toFixed(6);
      form.querySelector("[name=lat]").value = event.latlng.lat.toFixed(6);
      movingFamily = null;
      form.submit();
      return;
    }
    if (!mode) return;
    points.push(snap(event.latlng));
    if (mode === "titik") { redraw(); finish(); return; }
    redraw();
  }
  map.on("click", onClick);
  window.petaClick = function (event) { if (mode || movingFamily) onClick(event); };
})();
