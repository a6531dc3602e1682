/* Offline fallbacks. pkgdown 2.0.7 loads its helper libraries (headroom, bootstrap-toc,
 * clipboard.js, mark.js, autocomplete.js) from cdnjs and jsDelivr; when the site is read
 * without a network (docs/ opened from disk, a machine behind a firewall) they do not load
 * and pkgdown.js stops with "$(...).headroom is not a function" before it builds the page's
 * table of contents. This file runs after pkgdown.js is loaded and before it runs: for each
 * library that did not load it puts a stand-in, so the page degrades (no hiding navbar, no
 * copy buttons, no search box suggestions) instead of failing. With the network, the real
 * libraries are there and nothing here is used. */
(function ($) {
  if (!$) return;
  if (!$.fn.headroom) {
    $.fn.headroom = function () { return this; };
  }
  if (!$.fn.autocomplete) {
    $.fn.autocomplete = function () { return this; };
  }
  if (typeof window.ClipboardJS === "undefined") {
    window.ClipboardJS = { isSupported: function () { return false; } };
  }
  if (typeof window.Mark === "undefined") {
    window.Mark = function () {};
    window.Mark.prototype.mark = function () {};
    window.Mark.prototype.unmark = function () {};
  }
  if (typeof window.Toc === "undefined") {
    // The "On this page" list: one link per second-level heading of the page.
    window.Toc = {
      init: function (opts) {
        var $nav = opts.$nav;
        if (!$nav || !$nav.length) return;
        var $list = $('<ul class="nav nav-pills flex-column"></ul>');
        opts.$scope.filter("h2").each(function () {
          var id = this.id || $(this).closest("[id]").attr("id");
          if (!id) return;
          var text = $(this).clone().find(".anchor").remove().end().text().trim();
          $list.append($('<li class="nav-item"></li>').append(
            $('<a class="nav-link"></a>').attr("href", "#" + id).text(text)));
        });
        if ($list.children().length) $nav.append($list);
      }
    };
  }
})(window.jQuery);
