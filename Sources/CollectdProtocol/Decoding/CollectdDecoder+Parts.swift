extension CollectdDecoder {
    /// Reads a string part into the state; a message part also emits a notification.
    @inline(__always)
    func readString<Sink: CollectdSink>(
        _ part: PartType, _ buffer: UnsafeRawBufferPointer, at index: Int, length: Int, offset: Int,
        state: inout State, into packet: inout Sink
    ) -> Bool {
        let payload = length - Wire.headerSize
        let limit = part == .message ? Wire.maxMessageLength : Wire.maxNameLength
        guard payload >= 1 else {
            packet.error = .missingNUL(offset: offset)
            return false
        }
        guard payload <= limit else {
            packet.error = .stringTooLong(offset: offset, length: payload, limit: limit)
            return false
        }
        guard buffer[index + length - 1] == 0 else {
            packet.error = .missingNUL(offset: offset)
            return false
        }
        let value = buffer.collectdStringBytes(at: index + Wire.headerSize, payloadLength: payload)
        switch part {
        case .host: state.host = value
        case .plugin: state.plugin = value
        case .pluginInstance: state.pluginInstance = value
        case .type: state.type = value
        case .typeInstance: state.typeInstance = value
        default: emitNotification(message: ValueListView.string(value), state: state, into: &packet)
        }
        return true
    }

    private func emitNotification<Sink: CollectdSink>(message: String, state: State, into packet: inout Sink) {
        guard let severity = Severity(rawValue: state.severity), state.timeIsSet, !message.isEmpty else {
            packet.droppedNotification()
            return
        }
        packet.notification(
            Notification(
                host: ValueListView.string(state.host), plugin: ValueListView.string(state.plugin),
                pluginInstance: ValueListView.string(state.pluginInstance),
                type: ValueListView.string(state.type), typeInstance: ValueListView.string(state.typeInstance),
                time: state.time, severity: severity, message: message))
    }

    /// Reads a numeric part (time, interval, severity) into the state.
    @inline(__always)
    func readNumber<Sink: CollectdSink>(
        _ part: PartType, _ buffer: UnsafeRawBufferPointer, at index: Int, length: Int, offset: Int,
        state: inout State, into packet: inout Sink
    ) -> Bool {
        guard length == Wire.numberPartSize else {
            packet.error = .badNumberLength(offset: offset, length: length)
            return false
        }
        let raw = buffer.bigEndianUInt64(at: index + Wire.headerSize)
        switch part {
        case .time:
            state.time = CollectdTime.nanoseconds(fromSeconds: raw)
            state.timeIsSet = raw != 0
        case .timeHR:
            state.time = CollectdTime.nanoseconds(fromHighResolution: raw)
            state.timeIsSet = raw != 0
        case .interval:
            state.interval = CollectdTime.nanoseconds(fromSeconds: raw)
        case .intervalHR:
            state.interval = CollectdTime.nanoseconds(fromHighResolution: raw)
        default:
            state.severity = raw
        }
        return true
    }

    /// Reads a values part and emits (or drops) a value list with the current state.
    @inline(__always)
    func readValues<Sink: CollectdSink>(
        _ buffer: UnsafeRawBufferPointer, at index: Int, length: Int, offset: Int,
        state: State, into packet: inout Sink
    ) -> Bool {
        let count = length >= 6 ? Int(buffer.bigEndianUInt16(at: index + 4)) : 0
        guard count > 0, length == 6 + 9 * count else {
            packet.error = .countMismatch(offset: offset, count: count, length: length)
            return false
        }
        let kinds = index + 6
        for i in 0..<count {
            let kind = buffer[kinds + i]
            guard kind <= 3 else {
                packet.error = .unknownValueKind(offset: offset, kind: kind)
                return false
            }
        }
        let list = ValueListView(
            host: state.host, plugin: state.plugin, pluginInstance: state.pluginInstance,
            type: state.type, typeInstance: state.typeInstance, time: state.time,
            interval: state.interval, count: count, kinds: buffer.baseAddress.unsafelyUnwrapped + kinds)
        let reason: DroppedValueList.Reason? =
            if !state.timeIsSet { .zeroTime }
            else if state.host.isEmpty { .emptyHost }
            else if state.plugin.isEmpty { .emptyPlugin }
            else if state.type.isEmpty { .emptyType }
            else { nil }
        if let reason {
            packet.droppedValueList(list, reason: reason, offset: offset)
        } else {
            packet.valueList(list)
        }
        return true
    }
}
