// Moves the comment form under the comment being answered, and back on "Cancel reply".
// Without this script the same links work as plain links (?replytocom=ID#respond).
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  if (!respond) { return; }
  var form = document.getElementById("commentform");
  var parentField = form && form.querySelector("input[name=comment_parent]");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var title = document.getElementById("reply-title");
  var home = document.createElement("div");
  home.id = "respond-home";
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);
  // Not the heading as loaded: after ?replytocom=ID or a rejected reply it names a commenter.
  var newCommentTitle = "Leave a Reply ";

  function moveTo(link) {
    var comment = link.closest("li[id^=\"comment-\"]");
    if (!comment || !parentField) { return false; }
    var body = comment.querySelector("article");
    body.parentNode.insertBefore(respond, body.nextSibling);
    parentField.value = comment.id.replace("comment-", "");
    var author = comment.querySelector(".fn");
    if (title && author) { title.firstChild.nodeValue = "Leave a Reply to " + author.textContent.trim() + " "; }
    if (cancel) { cancel.hidden = false; }
    var textarea = form.querySelector("textarea");
    if (textarea) { textarea.focus(); }
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
    if (link && moveTo(link)) { event.preventDefault(); }
  });

  if (cancel) {
    cancel.addEventListener("click", function (event) {
      if (!home.parentNode) { return; }
      event.preventDefault();
      home.parentNode.insertBefore(respond, home);
      if (parentField) { parentField.value = "0"; }
      if (title) { title.firstChild.nodeValue = newCommentTitle; }
      cancel.hidden = true;
      var textarea = form.querySelector("textarea");
      if (textarea) { textarea.focus(); }
    });
  }
})();
