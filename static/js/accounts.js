// After the portal's logout, continue to the identity provider's logout (RP-initiated logout).
// A link the person can also follow by hand; the CSP's form-action forbids a redirect there.
(function () {
  "use strict";
  var link = document.querySelector("[data-sso-logout]");
  if (link) {
    window.location.replace(link.href);
  }
})();
