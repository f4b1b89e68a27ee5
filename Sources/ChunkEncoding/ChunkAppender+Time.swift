extension ChunkAppender {
    /// Writes a timestamp as a delta-of-delta in the chunk's time scale, as the distance from a
    /// grid, or (version 3) as the distance from the reference's time at the same index.
    @inline(__always)
    mutating func appendTime(_ time: Int64) {
        if count == 0 {
            if scaleExponent < 0 {
                // At most whole seconds: a first time divisible by 10 s or more is nearly always
                // a coincidence, and the next sample would force a rewrite of the chunk.
                scaleExponent = Swift.min(TimeScale.exponent(dividing: time), TimeScale.firstSampleMaxExponent)
                scale = TimeScale.factor(scaleExponent)
            }
            precondition(time % scale == 0, "first time does not fit the forced scale")
            if codec.timeGrid && gridInterval == 0 {
                // A carried interval: kept when it is whole in this chunk's time scale.
                if pendingGridNanos % scale == 0 && pendingGridNanos != 0 {
                    gridInterval = pendingGridNanos / scale
                } else {
                    codec.timeGrid = false
                }
                pendingGridNanos = 0
            }
            firstTime = time
            minTime = time
            maxTime = time
            prevScaled = time / scale
            firstScaled = prevScaled
            prevDelta = 0
            return
        }
        if timeReference != nil {
            appendReferencedTime(time)
            return
        }
        if time % scale != 0 {
            let exponent = Swift.min(scaleExponent, TimeScale.exponent(dividing: time))
            // The grid interval is in the old scale; the rewrite keeps the grid only when it
            // converts exactly (it always does: the new scale divides the old one).
            let factor = scale / TimeScale.factor(exponent)
            rewrite(scaleExponent: exponent, integralFloats: integralFloats, codec: codec,
                    gridInterval: gridInterval &* factor, gridOffset: gridOffset &* factor)
        }
        if time < minTime { minTime = time }
        if time > maxTime { maxTime = time }
        let scaled = time / scale
        let delta = scaled &- prevScaled
        if codec.timeGrid {
            TimeBuckets.write(scaled &- (firstScaled &+ gridOffset &+ Int64(truncatingIfNeeded: count) &* gridInterval), scaleExponent: scaleExponent, to: &bits)
        } else {
            TimeBuckets.write(delta &- prevDelta, scaleExponent: scaleExponent, to: &bits)
        }
        prevScaled = scaled
        prevDelta = delta
    }

    /// Version 3: the scale must divide both the time and the reference's time at its index.
    @inline(__always)
    private mutating func appendReferencedTime(_ time: Int64) {
        let referenceTime = reference[count]
        if time % scale != 0 || referenceTime % scale != 0 {
            let exponent = Swift.min(scaleExponent, TimeScale.exponent(dividing: time), TimeScale.exponent(dividing: referenceTime))
            rewrite(scaleExponent: exponent, integralFloats: integralFloats, codec: codec)
        }
        if time < minTime { minTime = time }
        if time > maxTime { maxTime = time }
        let scaled = time / scale
        if exactReference {
            precondition(time == referenceTime, "an exact reference chunk got a time off its reference")
        } else if let order = runOrder {
            appendRunCoded(scaled &- referenceTime / scale, order: order, time: time)
        } else {
            TimeBuckets.write(scaled &- referenceTime / scale, scaleExponent: scaleExponent, to: &bits)
        }
        prevScaled = scaled
    }

    /// Version 4: inside a run nothing; after a run the exception's distance; else the run
    /// length from this sample on (looking ahead in the chunk's times), then the distance at once
    /// when the run is empty.
    private mutating func appendRunCoded(_ distance: Int64, order: Int, time: Int64) {
        let index = count
        if rare.zerosLeft > 0 {
            precondition(distance == 0, "a time inside a run differs from its reference")
            rare.zerosLeft &-= 1
            return
        }
        if rare.exceptionPending {
            rare.exceptionPending = false
            precondition(distance != 0, "a run ended on a time equal to its reference")
            TimeRuns.writeException(distance, scaleExponent: scaleExponent, to: &bits)
            return
        }
        let r = rare.runLength(from: index, time: time)
        TimeRuns.writeRun(r, order: order, to: &bits)
        if r > 0 {
            rare.zerosLeft = r &- 1
            rare.exceptionPending = true
        } else {
            TimeRuns.writeException(distance, scaleExponent: scaleExponent, to: &bits)
        }
    }

    /// Re-encodes every sample so far with a new time scale or float codec. Called at most
    /// 19 times per chunk for the scale (it only shrinks) and once for the float codec.
    mutating func rewrite(scaleExponent newExponent: Int, integralFloats newIntegral: Bool, codec newCodec: CodecOptions, gridInterval newInterval: Int64? = nil, gridOffset newOffset: Int64? = nil) {
        let bytes = finish()
        var fresh = ChunkAppender(kind: kind, scaleExponent: newExponent, integralFloats: newIntegral, codec: newCodec,
                                  gridInterval: newInterval ?? gridInterval, gridOffset: newOffset ?? gridOffset)
        fresh.timeReference = timeReference
        fresh.reference = reference
        fresh.exactReference = exactReference
        if let order = runOrder { fresh.codeRuns(order: order, times: rare.runTimes) }
        fresh.bits.reserve(bits: bits.bitCount + bits.bitCount / 4)
        do throws(ChunkError) {
            var iterator = try ChunkIterator(bytes, reference: reference)
            while let sample = try iterator.next() {
                fresh.append(time: sample.time, sample.value)
            }
        } catch {
            preconditionFailure("re-reading a chunk this appender wrote failed: \(error)")
        }
        self = fresh
    }
}
