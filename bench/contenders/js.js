'use strict';
// Plain JavaScript, no C at all: the reference point for struct_rw (fields
// of a plain object {x, y} instead of a C struct). Every shape that calls C
// is not applicable.

module.exports = {
  name: 'js',

  // Child process.
  setup(ctx) {
    const { vec } = ctx.inputs;
    return {
      version: `plain JavaScript objects (${process.version})`,
      shapes: {
        struct_rw: () => {
          const p = { ...vec.p };
          return (i) => (p.x = p.y + i);
        },
      },
    };
  },
};
