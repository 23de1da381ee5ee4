// An interval and a task that clears it after three awaits: the program ends.
let ticks = 0;
const interval = setInterval(() => ticks++, 10);
for (let i = 0; i < 3; i++) await Promise.resolve();
clearInterval(interval);
console.log('ended');
