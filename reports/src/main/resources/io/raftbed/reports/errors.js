// Collects every script error, rejected promise, console error and blocked fetch (the page's
// Content-Security-Policy forbids the network) so that they show on the page and tests can read
// them from the DOM: body[data-errors] counts them, #report-errors lists them.
(function () {
  var errors = [];
  window.__reportErrors = errors;
  function record(text) {
    errors.push(String(text));
    var show = function () {
      var box = document.getElementById('report-errors');
      if (!box) { return; }
      box.hidden = false;
      box.textContent = 'This page had ' + errors.length + ' error(s): ' + errors.join(' | ');
      document.body.setAttribute('data-errors', String(errors.length));
    };
    if (document.body) { show(); } else { document.addEventListener('DOMContentLoaded', show); }
  }
  window.__reportError = record;
  window.addEventListener('error', function (e) { record('script error: ' + e.message + ' at ' + e.lineno); });
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  document.addEventListener('securitypolicyviolation', function (e) {
    record('blocked by the page policy (a report must not fetch anything): ' + e.violatedDirective + ' ' + e.blockedURI);
  });
  var consoleError = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return consoleError.apply(console, arguments);
  };
})();
