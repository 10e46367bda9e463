/* massline maps (Leaflet, vendored). Markers are vector circles, so they show even when the tile
   server cannot be reached (offline networks); a note then says the background map is missing. */
(function () {
  "use strict";
  if (typeof L === "undefined") return;

  function baseMap(el) {
    el.removeAttribute("hidden");  // before L.map: Leaflet measures the element once, at creation
    // Leaflet makes the map focusable; a labelled region lets screen readers announce its aria-label.
    if (!el.hasAttribute("role")) el.setAttribute("role", "region");
    var center = JSON.parse(el.getAttribute("data-center") || "[0,0]");
    var map = L.map(el, { scrollWheelZoom: false }).setView(center, parseInt(el.getAttribute("data-zoom") || "12", 10));
    var tiles = L.tileLayer(el.getAttribute("data-tile-url"), {
      maxZoom: 19, attribution: el.getAttribute("data-attribution") || ""
    });
    var warned = false;
    tiles.on("tileerror", function () {
      if (warned) return;
      warned = true;
      var note = document.getElementById(el.getAttribute("data-note"));
      if (note) note.hidden = false;
      el.classList.add("map-no-tiles");
    });
    tiles.addTo(map);
    return map;
  }

  function dot(latlng, options) {
    return L.circleMarker(latlng, Object.assign({
      radius: 8, color: "#ffffff", weight: 2, fillColor: "#b3261e", fillOpacity: 0.9
    }, options || {}));
  }

  // A picker: click (or tap) to set the place; fills the latitude/longitude inputs of the form.
  document.querySelectorAll("[data-map-picker]").forEach(function (el) {
    var lat = document.getElementById(el.getAttribute("data-lat"));
    var lon = document.getElementById(el.getAttribute("data-lon"));
    var map = baseMap(el);
    var marker = null;
    function place(latlng) {
      if (marker) marker.setLatLng(latlng); else marker = dot(latlng).addTo(map);
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
    }
    if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
    map.on("click", function (e) { place(e.latlng); });
    var clear = document.getElementById(el.getAttribute("data-clear"));
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () {
        if (marker) { map.removeLayer(marker); marker = null; }
        lat.value = ""; lon.value = "";
      });
    }
  });

  // A display map: markers from a json_script element, each linking to its public page.
  document.querySelectorAll("[data-map-markers]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-map-markers"));
    var points = source ? JSON.parse(source.textContent) : [];
    var map = baseMap(el);
    var layer = L.featureGroup().addTo(map);
    points.forEach(function (p) {
      var m = dot([p.lat, p.lon]).addTo(layer);
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.title;
      var box = document.createElement("div");
      box.appendChild(link);
      if (p.status) { var s = document.createElement("div"); s.textContent = p.status; box.appendChild(s); }
      m.bindPopup(box);
    });
    if (points.length > 1) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
    else if (points.length === 1) map.setView([points[0].lat, points[0].lon], 15);
  });
})();
