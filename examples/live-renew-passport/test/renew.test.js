test('renews', () => { expect(1).toBe(1) })
