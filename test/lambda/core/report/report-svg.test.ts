import { buildReport } from '../../../../lambda/core/report/report';
import { niceAxis, renderCostChart, renderTimeChart } from '../../../../lambda/core/report/report-svg';
import { failedVariant, reportInput, variant } from './report-fixtures';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A small XML parser, enough for the chart: elements, quoted attributes, text, self-closing tags,
 * the five predefined entities. Throws on unbalanced or mismatched tags.
 */
function parseXml(source: string): XmlElement {
  let at = 0;
  const decode = (text: string): string =>
    text.split('&lt;').join('<').split('&gt;').join('>').split('&quot;').join('"').split('&apos;').join("'").split('&amp;').join('&');
  const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';
  const skipSpace = (): void => {
    while (at < source.length && isSpace(source[at])) at++;
  };
  const readName = (): string => {
    const start = at;
    while (at < source.length && !isSpace(source[at]) && source[at] !== '>' && source[at] !== '/' && source[at] !== '=') at++;
    if (at === start) throw new Error(`expected a name at ${at}`);
    return source.slice(start, at);
  };
  const parseElement = (): XmlElement => {
    if (source[at] !== '<') throw new Error(`expected < at ${at}`);
    at++;
    const element: XmlElement = { name: readName(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return element;
      }
      if (source[at] === '>') {
        at++;
        break;
      }
      const attribute = readName();
      if (source[at] !== '=' || source[at + 1] !== '"') throw new Error(`attribute ${attribute} is not name="value" at ${at}`);
      const end = source.indexOf('"', at + 2);
      if (end === -1) throw new Error(`unterminated attribute ${attribute}`);
      if (attribute in element.attributes) throw new Error(`attribute ${attribute} repeated`);
      element.attributes[attribute] = decode(source.slice(at + 2, end));
      at = end + 1;
    }
    for (;;) {
      if (at >= source.length) throw new Error(`<${element.name}> is never closed`);
      if (source.startsWith('</', at)) {
        at += 2;
        const closing = readName();
        if (closing !== element.name) throw new Error(`</${closing}> closes <${element.name}>`);
        skipSpace();
        if (source[at] !== '>') throw new Error(`expected > at ${at}`);
        at++;
        return element;
      }
      if (source[at] === '<') {
        element.children.push(parseElement());
      } else {
        const next = source.indexOf('<', at);
        const raw = source.slice(at, next === -1 ? source.length : next);
        if (raw.includes('>')) throw new Error(`stray > in text at ${at}`);
        element.text += decode(raw);
        at = next === -1 ? source.length : next;
      }
    }
  };
  skipSpace();
  const root = parseElement();
  skipSpace();
  if (at !== source.length) throw new Error(`content after the root element at ${at}`);
  return root;
}

function all(element: XmlElement, predicate: (e: XmlElement) => boolean): XmlElement[] {
  return [...(predicate(element) ? [element] : []), ...element.children.flatMap((child) => all(child, predicate))];
}

const hasClass =
  (name: string) =>
  (e: XmlElement): boolean =>
    (e.attributes.class ?? '').split(' ').includes(name);

describe('parseXml (the test helper)', () => {
  it('rejects mismatched tags', () => {
    // GIVEN / WHEN / THEN
    expect(() => parseXml('<svg><g></svg></g>')).toThrow(/<\/svg> closes <g>/);
  });

  it('rejects an unclosed element', () => {
    // GIVEN / WHEN / THEN
    expect(() => parseXml('<svg><g>')).toThrow(/is never closed/);
  });
});

describe('renderTimeChart', () => {
  const sweep = [
    variant('replicated', 300, 1.2),
    variant('sharded-2', 100, 1.6),
    variant('sharded-4', 150, 1.3),
    variant('sharded-8', 320, 1.25),
  ];

  it('is well-formed SVG', () => {
    // GIVEN / WHEN
    const root = parseXml(renderTimeChart(buildReport(reportInput(sweep))));
    // THEN
    expect(root.name).toBe('svg');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(root.attributes.viewBox).toBe('0 0 720 480');
  });

  it('draws one labelled point per variant', () => {
    // GIVEN / WHEN
    const root = parseXml(renderTimeChart(buildReport(reportInput(sweep))));
    // THEN
    const points = all(root, hasClass('variant'));
    expect(points.map((p) => p.attributes['data-variant'])).toEqual(['replicated', 'sharded-2', 'sharded-4', 'sharded-8']);
    for (const point of points) {
      expect(all(point, (e) => e.name === 'circle')).toHaveLength(1);
      expect(all(point, (e) => e.name === 'text')[0].text).toMatch(new RegExp(`^${point.attributes['data-variant']} \\(`));
    }
  });

  it('puts the faster variant further left and the more accurate one lower', () => {
    // GIVEN / WHEN
    const root = parseXml(renderTimeChart(buildReport(reportInput([variant('replicated', 300, 1.2), variant('sharded', 120, 1.5)]))));
    // THEN: SVG y grows downwards, so lower MSE means larger cy
    const circle = (name: string): XmlElement =>
      all(all(root, (e) => e.attributes['data-variant'] === name)[0], (e) => e.name === 'circle')[0];
    expect(Number(circle('sharded').attributes.cx)).toBeLessThan(Number(circle('replicated').attributes.cx));
    expect(Number(circle('replicated').attributes.cy)).toBeGreaterThan(Number(circle('sharded').attributes.cy));
  });

  it('labels both axes and marks them with ticks', () => {
    // GIVEN / WHEN
    const root = parseXml(renderTimeChart(buildReport(reportInput(sweep))));
    // THEN
    expect(all(root, hasClass('x-label'))[0].text).toBe('Training time (seconds)');
    expect(all(root, hasClass('y-label'))[0].text).toBe('Test MSE');
    expect(all(root, hasClass('x-tick')).length).toBeGreaterThanOrEqual(3);
    expect(all(root, hasClass('y-tick')).length).toBeGreaterThanOrEqual(3);
  });

  it('connects the Pareto frontier, fastest first, when there are three or more variants', () => {
    // GIVEN sharded-2 (100 s, 1.6), sharded-4 (150 s, 1.3), replicated (300 s, 1.2); sharded-8 is dominated
    // WHEN
    const root = parseXml(renderTimeChart(buildReport(reportInput(sweep))));
    // THEN
    const line = all(root, hasClass('pareto-frontier'));
    expect(line).toHaveLength(1);
    const circles = Object.fromEntries(
      all(root, hasClass('variant')).map((g) => {
        const c = all(g, (e) => e.name === 'circle')[0];
        return [g.attributes['data-variant'], `${c.attributes.cx},${c.attributes.cy}`];
      }),
    );
    expect(line[0].attributes.points).toBe([circles['sharded-2'], circles['sharded-4'], circles.replicated].join(' '));
  });

  it('draws no frontier for two variants', () => {
    // GIVEN / WHEN
    const root = parseXml(renderTimeChart(buildReport(reportInput([variant('replicated', 300, 1.2), variant('sharded', 120, 1.5)]))));
    // THEN
    expect(all(root, hasClass('pareto-frontier'))).toHaveLength(0);
  });

  it('escapes variant names so the document stays well-formed', () => {
    // GIVEN
    const name = 'a<b & "c"';
    // WHEN
    const root = parseXml(renderTimeChart(buildReport(reportInput([variant(name, 10, 1), variant('plain', 20, 2)]))));
    // THEN
    expect(all(root, hasClass('variant'))[0].attributes['data-variant']).toBe(name);
  });

  it('names the variants it cannot plot', () => {
    // GIVEN / WHEN
    const root = parseXml(renderTimeChart(buildReport(reportInput([variant('replicated', 300, 1.2), variant('sharded', 120, null)]))));
    // THEN
    expect(all(root, hasClass('variant'))).toHaveLength(1);
    expect(all(root, hasClass('unplotted'))[0].text).toBe('Not plotted (no test rows scored: sharded)');
  });

  it('names failed variants instead of plotting them, and leaves them off the frontier', () => {
    // GIVEN a sweep of three scored variants and one that failed
    const variants = [...sweep.slice(0, 3), failedVariant('broken')];
    // WHEN
    const root = parseXml(renderTimeChart(buildReport(reportInput(variants))));
    // THEN
    expect(all(root, hasClass('variant')).map((g) => g.attributes['data-variant'])).toEqual(['replicated', 'sharded-2', 'sharded-4']);
    expect(all(root, hasClass('unplotted'))[0].text).toBe('Not plotted (failed: broken)');
    expect(all(root, hasClass('pareto-frontier'))).toHaveLength(1);
  });
});

describe('renderCostChart', () => {
  // sharded-8 billed 50 s of its 320 s: 5 x 50 s x $0.557/h + $0.14 hosting = $0.1787, cheaper than every other
  const sweep = [
    variant('replicated', 300, 1.2),
    variant('sharded-2', 100, 1.6),
    variant('sharded-4', 150, 1.3),
    variant('sharded-8', 320, 1.25, {
      spot: true,
      training: { trainingTimeInSeconds: 320, billableTimeInSeconds: 50, finalMetrics: {}, interruptions: 1 },
    }),
  ];
  const circleAt = (root: XmlElement, name: string): string => {
    const circle = all(all(root, (e) => e.attributes['data-variant'] === name)[0], (e) => e.name === 'circle')[0];
    return `${circle.attributes.cx},${circle.attributes.cy}`;
  };

  it('is a well-formed SVG of its own, with cost on the x axis', () => {
    // GIVEN / WHEN
    const root = parseXml(renderCostChart(buildReport(reportInput(sweep))));
    // THEN
    expect(root.name).toBe('svg');
    expect(all(root, hasClass('x-label'))[0].text).toBe('Estimated cost, training + hosting (USD)');
    expect(all(root, hasClass('chart-title'))[0].text).toBe('Estimated cost vs test MSE (lower-left is better)');
  });

  it('labels each point with its cost and MSE', () => {
    // GIVEN / WHEN
    const root = parseXml(renderCostChart(buildReport(reportInput(sweep))));
    // THEN
    const label = all(all(root, (e) => e.attributes['data-variant'] === 'sharded-8')[0], (e) => e.name === 'text')[0];
    expect(label.text).toBe('sharded-8 ($0.1787, MSE 1.25)');
  });

  it('draws the cost/MSE frontier, cheapest first, and labels it', () => {
    // GIVEN sharded-8 ($0.1787, 1.25) dominates sharded-2 ($0.2174, 1.6) and sharded-4 ($0.2560, 1.3); replicated ($0.3721, 1.2) is the most accurate
    // WHEN
    const root = parseXml(renderCostChart(buildReport(reportInput(sweep))));
    // THEN
    const line = all(root, hasClass('pareto-frontier'));
    expect(line).toHaveLength(1);
    expect(line[0].attributes.points).toBe([circleAt(root, 'sharded-8'), circleAt(root, 'replicated')].join(' '));
    expect(all(root, hasClass('legend'))[0].text).toBe('red: cost/MSE Pareto frontier');
  });

  it('names the variants it cannot price instead of plotting them', () => {
    // GIVEN one variant on an instance type the price table lacks
    const variants = [...sweep.slice(0, 3), variant('unpriced', 90, 1.1, { instanceType: 'ml.unknown' })];
    // WHEN
    const root = parseXml(renderCostChart(buildReport(reportInput(variants))));
    // THEN
    expect(all(root, hasClass('variant'))).toHaveLength(3);
    expect(all(root, hasClass('unplotted'))[0].text).toBe('Not plotted (no price: unpriced)');
  });
});

describe('niceAxis', () => {
  it('picks round ticks that cover the data with a margin', () => {
    // GIVEN 0..300 padded by 10% to 0..330; about 5 intervals of 66 round up to steps of 100
    // WHEN / THEN
    expect(niceAxis(0, 300)).toEqual({ min: 0, max: 400, ticks: [0, 100, 200, 300, 400] });
  });

  it('widens a single value into a range', () => {
    // GIVEN 1.2 +- 10% = 1.08..1.32; intervals of 0.048 round up to 0.05
    // WHEN
    const axis = niceAxis(1.2, 1.2);
    // THEN
    expect(axis.ticks).toEqual([1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.35]);
  });
});
