package io.raftbed.linearizability;

/**
 * The CSS, legend and script of {@link TimelineHtml}'s pages. The script scrolls the timeline to
 * the conflict on load (and on "Jump to the conflict"), shows an operation's full text on hover or
 * focus, and folds or unfolds the quiet lanes; it records what the page showed on load in
 * {@code data-*} attributes of {@code <body>} (the conflict's bounding box, whether it was in
 * view), which the browser test reads. Constants only.
 */
final class TimelineStyle {
  private TimelineStyle() {}

  static final String CSS = """
      body{font:14px system-ui,sans-serif;margin:12px 16px;color:#222}
      h1{font-size:19px;margin:4px 0} h2{font-size:16px;margin-top:22px}
      header p{margin:4px 0} .summary{color:#444} .note{color:#666;font-size:13px}
      .v-linearizable{color:#1a7f37} .v-not_linearizable{color:#c62828} .v-unknown{color:#b26a00}
      button{font:13px system-ui,sans-serif;padding:3px 10px;margin-right:6px;cursor:pointer}
      #jump{background:#c62828;color:#fff;border:1px solid #8e1c1c;border-radius:3px}
      .legend span{display:inline-block;padding:1px 7px;margin-right:5px;border:1px solid;border-radius:3px;font-size:12px}
      .scroll{overflow:auto;border:1px solid #ccc;max-height:62vh;position:relative}
      .canvas{position:relative;min-height:20px}
      .lane{position:relative;height:26px;border-bottom:1px solid #eee;white-space:nowrap}
      .lane.quiet{height:7px;background:#fafafa}
      .lane.quiet .op{height:4px;top:1px;font-size:0;padding:0} .lane.quiet .n,.lane.quiet .pname{display:none}
      body.unfolded .lane.quiet{height:26px;background:none}
      body.unfolded .lane.quiet .op{height:18px;top:3px;font-size:11px;padding:0 3px}
      body.unfolded .lane.quiet .n,body.unfolded .lane.quiet .pname{display:inline}
      .pname{position:sticky;left:0;z-index:3;display:inline-block;width:58px;padding-left:4px;line-height:26px;
        font:bold 11px ui-monospace,monospace;background:rgba(255,255,255,.9)}
      .op{position:absolute;top:3px;height:18px;box-sizing:border-box;border:1px solid #4a90d9;background:#cfe3fa;
        border-radius:3px;font:11px/16px ui-monospace,monospace;padding:0 3px;overflow:hidden;z-index:1;cursor:default}
      .op.fail{background:#eee;border:1px dashed #999;color:#666}
      .op.info,.op.pending{background:#fff1d6;border:1px dashed #d08a00}
      .tail{position:absolute;top:11px;height:0;border-top:3px dashed #d08a00;
        -webkit-mask-image:linear-gradient(to right,#000 30%,transparent);mask-image:linear-gradient(to right,#000 30%,transparent)}
      .tail::after{content:"?";position:absolute;right:8px;top:-10px;color:#d08a00;font:bold 12px ui-monospace,monospace}
      .lane.quiet .tail{top:2px;border-top-width:1px} .lane.quiet .tail::after{content:none}
      .op.stuck{box-shadow:0 0 0 2px #7b1fa2}
      .op.culprit{background:#ffcdd2;border:2px solid #c62828;color:#7f0000;font-weight:bold;z-index:2}
      .op.flash{animation:flash 1.2s 2}
      @keyframes flash{50%{background:#ff8a80}}
      .op:hover,.op:focus{outline:2px solid #000;z-index:4}
      .n{display:inline-block;min-width:14px;margin-right:3px;padding:0 2px;background:#37474f;color:#fff;border-radius:7px;
        font-size:10px;line-height:14px;text-align:center}
      .cut{position:absolute;top:0;bottom:0;width:0;border-left:3px solid #c62828;z-index:2}
      .cut::before{content:"conflict";position:absolute;top:0;left:3px;background:#c62828;color:#fff;font-size:10px;padding:0 3px}
      #tip{position:fixed;z-index:10;max-width:520px;padding:6px 8px;background:#263238;color:#fff;border-radius:4px;
        font:12px/1.4 ui-monospace,monospace;white-space:pre-wrap;pointer-events:none}
      li.culprit{color:#c62828} li.stuck{color:#7b1fa2} .state{color:#666}
      """;

  static final String LEGEND = "<span class=\"legend\">"
      + "<span style=\"background:#cfe3fa;border-color:#4a90d9\">ok</span>"
      + "<span style=\"background:#eee;border-color:#999\">fail</span>"
      + "<span style=\"background:#fff1d6;border-color:#d08a00;border-style:dashed\">info / never completed - - -</span>"
      + "<span style=\"background:#ffcdd2;border-color:#c62828\">conflict (cannot be linearized)</span>"
      + "<span style=\"border-color:#7b1fa2\">stuck</span>"
      + "numbers: linearization order; hover: full text and the state after</span>";

  static final String JS = """
      (function(){
        var t = document.getElementById('timeline'), tip = document.getElementById('tip');
        var from = +t.dataset.cfrom, to = +t.dataset.cto, cut = +t.dataset.cut;
        // The window of red operations centred if it fits, else the stretch that leads up to the cut.
        function jump(flash){
          if (to < 0) return;
          var w = t.clientWidth - 60, left;
          if (to - from < 0.9 * w) left = (from + to) / 2 - w / 2;
          else left = (cut >= 0 ? cut : to) - 0.8 * w;
          t.scrollLeft = Math.max(0, left - 60);
          t.scrollTop = 0;
          var r = t.getBoundingClientRect();
          if (r.top < 0 || r.bottom > window.innerHeight) window.scrollTo(0, window.scrollY + r.top - 8);
          if (flash) t.querySelectorAll('.op.culprit').forEach(function(e){
            e.classList.remove('flash'); void e.offsetWidth; e.classList.add('flash'); });
        }
        function report(){
          var box = null, seen = 0, all = t.querySelectorAll('.op.culprit');
          all.forEach(function(e){
            var r = e.getBoundingClientRect(), v = t.getBoundingClientRect();
            var inView = r.right > v.left && r.left < v.right && r.bottom > v.top && r.top < v.bottom
              && r.top < window.innerHeight && r.left < window.innerWidth;
            if (inView) seen++;
            box = box ? [Math.min(box[0], r.left), Math.min(box[1], r.top), Math.max(box[2], r.right), Math.max(box[3], r.bottom)]
                      : [r.left, r.top, r.right, r.bottom];
          });
          var v = t.getBoundingClientRect();
          document.body.dataset.timelineBox = [v.left, v.top, v.right, v.bottom].map(Math.round).join(',');
          document.body.dataset.conflictOps = all.length;
          document.body.dataset.conflictOpsInView = seen;
          if (box) document.body.dataset.conflictBox = box.map(Math.round).join(',');
        }
        var jumpButton = document.getElementById('jump');
        if (jumpButton) jumpButton.addEventListener('click', function(){ jump(true); });
        var fold = document.getElementById('fold');
        if (fold) fold.addEventListener('click', function(){
          var on = document.body.classList.toggle('unfolded'), n = fold.dataset.quiet;
          fold.textContent = (on ? 'Fold ' : 'Unfold ') + n + (n === '1' ? ' quiet lane' : ' quiet lanes');
          jump(false);
        });
        function show(e, x, y){
          tip.textContent = e.dataset.tip; tip.hidden = false;
          var w = tip.offsetWidth, h = tip.offsetHeight;
          tip.style.left = Math.max(4, Math.min(x + 14, window.innerWidth - w - 4)) + 'px';
          tip.style.top = (y + 18 + h > window.innerHeight ? Math.max(4, y - h - 10) : y + 18) + 'px';
        }
        t.addEventListener('mousemove', function(ev){
          var e = ev.target.closest('[data-tip]');
          if (e) show(e, ev.clientX, ev.clientY); else tip.hidden = true;
        });
        t.addEventListener('mouseleave', function(){ tip.hidden = true; });
        t.addEventListener('focusin', function(ev){
          var e = ev.target.closest('[data-tip]'), r = e && e.getBoundingClientRect();
          if (e) show(e, r.left, r.bottom - 18);
        });
        t.addEventListener('focusout', function(){ tip.hidden = true; });
        jump(false);
        report();
      })();
      """;
}
