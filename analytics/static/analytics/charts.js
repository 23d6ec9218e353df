/*
 * Draws every chart of the page (analytics/includes/chart.html) with the vendored Chart.js.
 *
 * Each chart's figures come from its JSON (analytics.charts.Chart.config(), in a json_script element
 * named by the canvas's data-chart-config): no inline script, so a strict Content-Security-Policy
 * (script-src 'self') allows it. A dataset with its own "type" ("line") is drawn so over a bar chart. Colours are the config's (a palette told apart with colour-vision
 * deficiencies); lines also differ by dash pattern and point shape; the y axis starts at 0; tooltips
 * show every series of a day; no animation for those who ask for reduced motion. A drawn canvas gets
 * data-chart-drawn. Charts added later (a refreshed listing) are drawn by window.analyticsCharts.draw(root),
 * which Wagtail's "w-swap:success" event calls by itself.
 */
(function () {
    'use strict';

    var DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [12, 6]];
    var POINTS = ['circle', 'triangle', 'rect', 'rectRot', 'crossRot', 'star'];
    var ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

    function reducedMotion() {
        return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    }

    function dayFormatter(options) {
        var language = document.documentElement.lang || undefined;
        try {
            return new Intl.DateTimeFormat(language, Object.assign({ timeZone: 'UTC' }, options));
        } catch (error) {
            return new Intl.DateTimeFormat(undefined, Object.assign({ timeZone: 'UTC' }, options));
        }
    }

    var SHORT_DAY = dayFormatter({ day: 'numeric', month: 'short' });
    var LONG_DAY = dayFormatter({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

    function labelOf(label, format) {
        // Days come as YYYY-MM-DD: shown in the page's language; any other label as it is.
        return ISO_DAY.test(label) ? format.format(new Date(label + 'T00:00:00Z')) : label;
    }

    function isLine(config, entry) {
        return (entry.type || config.type) === 'line';
    }

    function dataset(config, entry, index) {
        var line = isLine(config, entry);
        return {
            type: entry.type || undefined, // a line over a bar chart's bars, when its series says so
            order: line ? 0 : 1, // lines drawn over bars
            label: entry.label,
            data: entry.data,
            borderColor: entry.color,
            backgroundColor: entry.color,
            borderWidth: line ? 2 : 1,
            borderDash: line ? DASHES[index % DASHES.length] : [],
            pointStyle: POINTS[index % POINTS.length],
            pointRadius: line ? (config.labels.length > 60 ? 0 : 3) : 0,
            pointHoverRadius: line ? 5 : 0,
            tension: 0,
        };
    }

    function options(config, canvas) {
        var style = window.getComputedStyle(canvas.closest('[data-analytics-chart]') || document.body);
        var text = style.color;
        var grid = 'rgba(128, 128, 128, 0.25)';
        var stacked = Boolean(config.stacked);
        return {
            responsive: true,
            maintainAspectRatio: false,
            animation: reducedMotion() ? false : { duration: 400 },
            interaction: { mode: 'index', intersect: false },
            color: text,
            scales: {
                x: {
                    stacked: stacked,
                    grid: { display: false },
                    ticks: {
                        color: text,
                        maxRotation: 0,
                        autoSkip: true,
                        autoSkipPadding: 12,
                        callback: function (value) {
                            return labelOf(this.getLabelForValue(value), SHORT_DAY);
                        },
                    },
                },
                y: {
                    stacked: stacked,
                    beginAtZero: true,
                    suggestedMax: 1, // an empty period still has an axis from 0 to 1, not from 0 to 0
                    grid: { color: grid },
                    ticks: { color: text, precision: 0 },
                    title: { display: Boolean(config.unit), text: config.unit || '', color: text },
                },
            },
            plugins: {
                legend: {
                    position: 'bottom',
                    labels: {
                        color: text,
                        // A line's key is a stretch of the line itself, dashed as it is; a bar's, a swatch.
                        usePointStyle: true,
                        pointStyleWidth: 32,
                        sort: function (a, b) {
                            return a.datasetIndex - b.datasetIndex; // the series' order, not the drawing order
                        },
                        generateLabels: function (chart) {
                            var items = window.Chart.defaults.plugins.legend.labels.generateLabels(chart);
                            items.forEach(function (item) {
                                var line = isLine(config, config.datasets[item.datasetIndex]);
                                item.pointStyle = line ? 'line' : 'rect';
                                item.lineWidth = line ? 3 : 0;
                            });
                            return items;
                        },
                    },
                },
                tooltip: {
                    itemSort: function (a, b) {
                        return a.datasetIndex - b.datasetIndex;
                    },
                    callbacks: {
                        title: function (items) {
                            return items.length ? labelOf(items[0].label, LONG_DAY) : '';
                        },
                    },
                },
            },
        };
    }

    function drawOne(canvas) {
        if (canvas.hasAttribute('data-chart-drawn') || typeof window.Chart === 'undefined') {
            return;
        }
        var source = document.getElementById(canvas.getAttribute('data-chart-config'));
        if (!source) {
            return;
        }
        var config = JSON.parse(source.textContent);
        // eslint-disable-next-line no-new
        new window.Chart(canvas, {
            type: config.type === 'bar' ? 'bar' : 'line',
            data: {
                labels: config.labels,
                datasets: config.datasets.map(function (entry, index) {
                    return dataset(config, entry, index);
                }),
            },
            options: options(config, canvas),
        });
        canvas.setAttribute('data-chart-drawn', '');
    }

    function draw(root) {
        (root || document).querySelectorAll('canvas[data-chart-config]').forEach(drawOne);
    }

    window.analyticsCharts = { draw: draw };
    document.addEventListener('w-swap:success', function (event) {
        draw(event.target instanceof Element ? event.target : document);
    });
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', function () {
            draw(document);
        });
    } else {
        draw(document);
    }
})();
