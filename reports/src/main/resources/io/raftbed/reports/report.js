// Draws every chart of the page from its JSON spec with Apache ECharts. Spec kinds:
//   bars:    {categories, series:[{name, values, errors?:[[lo,hi]], color?, stack?}], yName, horizontal, percent, logY}
//   lines:   {xName, yName, series:[{name, points:[[x,y]], color?, area?, stack?, step?}], bands, marks, logY}
//   scatter: {xName, yName, logY, series:[{name, points:[[x,y]], color}], bands}
// bands: [{from, to, label, color}] shade x ranges (fault windows); marks: [{x, label}] vertical lines.
// When every chart is drawn, body[data-charts-rendered] holds their number and body[data-report-ready] is "1".
(function () {
  'use strict';
  var PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];

  function title(spec) {
    return spec.title ? { text: spec.title, left: 8, top: 4, textStyle: { fontSize: 14, fontWeight: 'bold' } } : undefined;
  }

  function fmt(v) {
    if (typeof v !== 'number') { return v; }
    var a = Math.abs(v);
    if (a !== 0 && a < 0.01) { return v.toPrecision(3); }
    return v.toLocaleString('en-US', { maximumFractionDigits: a < 10 ? 3 : a < 1000 ? 1 : 0 });
  }

  // A series that draws nothing but carries the shaded bands and vertical marks, so the legend can hide them.
  function overlaySeries(spec, name) {
    var bands = (spec.bands || []).map(function (b) {
      return [{ xAxis: b.from, name: b.label, itemStyle: { color: b.color || 'rgba(225,87,89,0.15)' } }, { xAxis: b.to }];
    });
    var marks = (spec.marks || []).map(function (m) { return { xAxis: m.x, name: m.label }; });
    return {
      name: name, type: 'line', data: [], silent: false, symbol: 'none',
      markArea: bands.length ? { silent: false, data: bands, label: { show: false },
        emphasis: { label: { show: true, position: 'insideTop', fontSize: 11 } } } : undefined,
      markLine: marks.length ? { symbol: 'none', silent: false, data: marks,
        lineStyle: { color: '#e15759', type: 'dashed' },
        // Labels only while they fit; hovering a line names it either way.
        label: { show: marks.length <= 8, formatter: '{b}', fontSize: 10 },
        emphasis: { label: { show: true, formatter: '{b}' } } } : undefined
    };
  }

  function hasOverlay(spec) { return (spec.bands && spec.bands.length) || (spec.marks && spec.marks.length); }

  var BAR_GAP = '20%', BAR_CATEGORY_GAP = '35%';

  // Whiskers from lo to hi over bar i of series seriesIndex of n, placed as ECharts places the bars.
  function errorBars(seriesIndex, n, s, horizontal) {
    return {
      type: 'custom', name: s.name, silent: true, z: 10, tooltip: { show: false },
      // The whiskers' ends count in the value axis' extent, so that none runs off the chart.
      encode: horizontal ? { x: [1, 2], y: 0 } : { x: 0, y: [1, 2] },
      data: s.errors.map(function (e, i) { return [i, e[0], e[1]]; }),
      renderItem: function (params, api) {
        var i = api.value(0);
        var lo = horizontal ? api.coord([api.value(1), i]) : api.coord([i, api.value(1)]);
        var hi = horizontal ? api.coord([api.value(2), i]) : api.coord([i, api.value(2)]);
        var layout = api.barLayout({ barGap: BAR_GAP, barCategoryGap: BAR_CATEGORY_GAP, count: n })[seriesIndex];
        var half = Math.max(2, layout.width * 0.25);
        var style = { stroke: '#263238', lineWidth: 1.3 };
        if (horizontal) {
          var y = lo[1] + layout.offsetCenter;
          return { type: 'group', children: [
            { type: 'line', shape: { x1: lo[0], y1: y, x2: hi[0], y2: y }, style: style },
            { type: 'line', shape: { x1: lo[0], y1: y - half, x2: lo[0], y2: y + half }, style: style },
            { type: 'line', shape: { x1: hi[0], y1: y - half, x2: hi[0], y2: y + half }, style: style }] };
        }
        var x = lo[0] + layout.offsetCenter;
        return { type: 'group', children: [
          { type: 'line', shape: { x1: x, y1: lo[1], x2: x, y2: hi[1] }, style: style },
          { type: 'line', shape: { x1: x - half, y1: lo[1], x2: x + half, y2: lo[1] }, style: style },
          { type: 'line', shape: { x1: x - half, y1: hi[1], x2: x + half, y2: hi[1] }, style: style }] };
      }
    };
  }

  function bars(spec) {
    var horizontal = !!spec.horizontal;
    var cat = { type: 'category', data: spec.categories, axisLabel: { interval: 0, fontSize: 11,
      width: horizontal ? 250 : undefined, overflow: horizontal ? 'truncate' : undefined,
      rotate: !horizontal && spec.categories.length > 6 ? 30 : 0 } };
    var val = { type: spec.logY ? 'log' : 'value', min: spec.yMin, name: spec.yName, nameLocation: 'middle',
      nameGap: horizontal ? 28 : 55, axisLabel: { formatter: spec.percent ? '{value}%' : fmt } };
    if (horizontal) { cat.inverse = true; }
    var series = [];
    var withErrors = [];
    spec.series.forEach(function (s, i) {
      series.push({ name: s.name, type: 'bar', data: s.values, stack: s.stack, barGap: BAR_GAP,
        barCategoryGap: BAR_CATEGORY_GAP,
        itemStyle: s.color ? { color: s.color } : undefined,
        label: spec.labels ? { show: true, position: horizontal ? 'right' : 'top', fontSize: 10,
          formatter: function (p) { return fmt(p.value) + (spec.percent ? '%' : ''); } } : undefined });
      if (s.errors) { withErrors.push([i, s]); }
    });
    var n = spec.series.length;
    withErrors.forEach(function (e) { series.push(errorBars(e[0], n, e[1], horizontal)); });
    return {
      title: title(spec), tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt },
      legend: n > 1 ? { top: 4, right: 8 } : undefined,
      grid: { left: horizontal ? 270 : 80, right: 40, top: 44, bottom: horizontal || spec.categories.length <= 6 ? 45 : 80 },
      xAxis: horizontal ? val : cat, yAxis: horizontal ? cat : val, series: series
    };
  }

  function xy(spec, type) {
    var series = spec.series.map(function (s, i) {
      var base = { name: s.name, data: s.points, itemStyle: { color: s.color || PALETTE[i % PALETTE.length] } };
      if (type === 'scatter') {
        base.type = 'scatter'; base.symbolSize = s.size || 3; base.symbol = s.symbol || 'circle'; base.large = s.points.length > 4000;
        base.largeThreshold = 4000; base.itemStyle.opacity = 0.7;
      } else {
        base.type = 'line'; base.showSymbol = s.points.length < 60; base.stack = s.stack; base.step = s.step;
        base.lineStyle = { width: 1.5, color: base.itemStyle.color };
        if (s.area) { base.areaStyle = { opacity: 0.35 }; }
      }
      return base;
    });
    if (hasOverlay(spec)) { series.push(overlaySeries(spec, spec.overlayName || 'fault windows')); }
    return {
      title: title(spec), legend: { top: 4, right: 8 },
      tooltip: type === 'scatter' ? { trigger: 'item', formatter: function (p) {
        if (p.componentType === 'markArea' || p.componentType === 'markLine') { return p.name; }
        return p.seriesName + ': ' + fmt(p.value[1]) + ' ' + (spec.yUnit || '') + ' at ' + fmt(p.value[0]) + ' ' + (spec.xUnit || '')
          + (p.value.length > 2 ? ' (' + p.value[2] + ')' : ''); } }
        : { trigger: 'axis', valueFormatter: fmt },
      grid: { left: 70, right: 30, top: 44, bottom: 70 },
      xAxis: { type: 'value', name: spec.xName, nameLocation: 'middle', nameGap: 28, min: spec.xMin, max: spec.xMax,
        axisLabel: { formatter: fmt } },
      yAxis: { type: spec.logY ? 'log' : 'value', name: spec.yName, nameLocation: 'middle', nameGap: 50,
        min: spec.yMin, axisLabel: { formatter: fmt } },
      dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 18, bottom: 8 }],
      series: series
    };
  }

  var BUILD = {
    bars: bars,
    lines: function (spec) { return xy(spec, 'line'); },
    scatter: function (spec) { return xy(spec, 'scatter'); }
  };

  function drawAll() {
    var specs = document.querySelectorAll('script.chart-spec');
    var drawn = 0;
    document.body.setAttribute('data-charts-expected', String(specs.length));
    specs.forEach(function (el) {
      var target = document.getElementById(el.getAttribute('data-target'));
      try {
        var spec = JSON.parse(el.textContent);
        var build = BUILD[spec.kind];
        if (!build) { throw new Error('unknown chart kind ' + spec.kind); }
        var chart = echarts.init(target, null, { renderer: 'canvas' });
        var option = build(spec);
        option.animation = false; // a report is a document: draw it at once, the same on every look
        chart.setOption(option);
        target.setAttribute('data-rendered', spec.kind);
        window.addEventListener('resize', function () { chart.resize(); });
        drawn++;
      } catch (e) {
        window.__reportError('chart ' + el.getAttribute('data-target') + ': ' + e);
      }
    });
    document.body.setAttribute('data-charts-rendered', String(drawn));
    document.body.setAttribute('data-errors', String(window.__reportErrors.length));
    document.body.setAttribute('data-report-ready', '1');
  }

  if (typeof echarts === 'undefined') {
    window.__reportError('the chart library did not load');
    document.body.setAttribute('data-report-ready', '1');
  } else {
    drawAll();
  }
})();
