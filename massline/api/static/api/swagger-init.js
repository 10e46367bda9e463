/* Starts the vendored Swagger UI on /api/docs from the settings in #swagger-settings (no inline script). */
(function () {
    "use strict";
    var page = document.body.dataset;
    var config = JSON.parse(document.getElementById("swagger-settings").textContent);
    config.dom_id = "#swagger-ui";
    config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
    if (page.apiCsrf && page.csrfToken) {
        config.requestInterceptor = function (req) {
            req.headers["X-CSRFToken"] = page.csrfToken;
            return req;
        };
    }
    window.ui = SwaggerUIBundle(config);
})();
