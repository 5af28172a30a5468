/** Where "now" comes from. Domain rules take `now` as a parameter; services get it from a Clock so tests can move time. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
