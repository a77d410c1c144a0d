// After a failed submission, move the focus to the summary of the errors, so that
// keyboard and screen reader users start from the list of what to correct. Each entry
// is a link to its field, which works without this script too.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
});
